// Types of gen-api.mjs for the tests that import it.
export declare const specPath: string;
export declare const outPath: string;
export declare function generate(): Promise<string>;
