// newman ships no types; this is the part of its Node API the benchmark uses.
declare module 'newman' {
  interface NewmanExecution {
    response?: { code: number };
    requestError?: { message: string };
  }
  interface NewmanSummary {
    run: { executions: NewmanExecution[]; failures: Array<{ error: { message: string } }> };
  }
  export function run(options: { collection: object; iterationCount?: number; reporters?: string | string[] }, callback: (error: Error | null, summary: NewmanSummary) => void): unknown;
}
