import { All, Controller, UseGuards } from '@nestjs/common';
import { ScimError } from '@scimify/scim';
import { ScimAuthGuard } from './scim-auth.guard';

/** Optional SCIM endpoints that this connector does not offer; RFC 7644 §3.7 and §3.11 call for 501. */
@Controller('scim/v2/:integrationId')
@UseGuards(ScimAuthGuard)
export class UnsupportedEndpointsController {
  @All('Bulk')
  bulk(): never {
    throw new ScimError(501, 'Bulk operations are not supported: send each User request on its own (ServiceProviderConfig reports bulk.supported false)');
  }

  @All('Me')
  me(): never {
    throw new ScimError(501, 'The /Me endpoint is not supported: SCIM tokens of this connector belong to an integration, not to a user; use /Users/{id}');
  }
}
