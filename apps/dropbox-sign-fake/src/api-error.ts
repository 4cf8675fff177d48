/** Error envelope of the Dropbox Sign API: `{ error: { error_msg, error_name, error_path? } }`. */
export interface ErrorBody {
  error: { error_msg: string; error_name: string; error_path?: string };
}

/** An error that a route handler throws and the server sends in the Dropbox Sign error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly errorPath?: string,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return errorBody(this.errorName, this.message, this.errorPath);
  }
}

export function errorBody(errorName: string, errorMsg: string, errorPath?: string): ErrorBody {
  const error: ErrorBody['error'] = { error_msg: errorMsg, error_name: errorName };
  if (errorPath !== undefined) {
    error.error_path = errorPath;
  }
  return { error };
}

export function badRequest(message: string, errorPath?: string): ApiError {
  return new ApiError(400, 'bad_request', message, errorPath);
}

export function notFound(message: string, errorPath?: string): ApiError {
  return new ApiError(404, 'not_found', message, errorPath);
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, 'forbidden', message);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, 'conflict', message);
}

/** `error_name` per HTTP status, from the `x-error-codes` catalogue of the Dropbox Sign OpenAPI spec. */
const ERROR_NAMES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_supported',
  409: 'conflict',
  410: 'deleted',
  422: 'unprocessable_entity',
  429: 'exceeded_rate',
  500: 'unknown',
  503: 'unavailable',
};

const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The request contained invalid or malformed parameters.',
  401: 'Unauthorized user. No credentials supplied.',
  402: 'You must upgrade to make additional requests.',
  403: 'A paid API plan is required to access this endpoint.',
  404: 'Not found.',
  405: 'The HTTP method is not supported for this endpoint.',
  409: 'An identical request is already being processed.',
  410: 'The resource has been deleted.',
  422: 'The request could not be processed.',
  429: 'Too many requests.',
  500: 'An unexpected error occurred.',
  503: 'The service is temporarily unavailable.',
};

/** Returns the catalogue's `error_name` for a status, or `unknown` for a status it does not list. */
export function defaultErrorName(status: number): string {
  return ERROR_NAMES[status] ?? 'unknown';
}

export function defaultErrorMessage(status: number): string {
  return ERROR_MESSAGES[status] ?? 'An unexpected error occurred.';
}
