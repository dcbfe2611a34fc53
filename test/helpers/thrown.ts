/** A constructor of errors of type E, for `instanceof`. */
type ErrorType<E extends Error> = abstract new (...args: never[]) => E;

/** The error of type `type` that `run` throws; fails the test when it throws nothing or another error. */
export function thrown<E extends Error>(type: ErrorType<E>, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The error of type `type` that `run` rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejected<E extends Error>(type: ErrorType<E>, run: () => Promise<unknown>): Promise<E> {
  try {
    await run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
