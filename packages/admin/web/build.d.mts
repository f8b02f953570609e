/** Builds the UI into the package's `ui` folder; resolves that folder. */
export declare function buildUi(): Promise<string>;
