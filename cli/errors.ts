/** A failure with a one-line reason and an exit code (2 = bad input, 1 = failed run). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
