/**
 * Loads an optional peer: undefined when that package is not installed; any other failure
 * (a broken install, an error while loading) is thrown as it is.
 */
export async function optionalPeer<T>(
  name: string,
  load: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    if (missing && String((error as Error).message).includes(`'${name}'`)) return undefined;
    throw error;
  }
}
