import { ApiError } from '../../bin/lib/api-client';

/** The API's refusal of a request that should be refused; anything else fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the API to refuse');
}
