import { IsEmail, IsOptional, IsString, Length, ValidateIf } from 'class-validator';

export class CreateIntegrationDto {
  @IsString()
  @Length(1, 200)
  displayName: string;

  @IsString()
  @Length(8, 512)
  apiKey: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null && value !== '')
  @IsEmail({}, { message: 'transferEmail must be an email address of a team member, or null' })
  transferEmail?: string | null;
}

export class UpdateIntegrationDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @IsOptional()
  @IsString()
  @Length(8, 512)
  apiKey?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null && value !== '')
  @IsEmail({}, { message: 'transferEmail must be an email address of a team member, or null' })
  transferEmail?: string | null;
}
