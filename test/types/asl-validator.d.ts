declare module 'asl-validator' {
  export default function aslValidator(
    definition: unknown,
    opts?: { checkArn?: boolean; checkPaths?: boolean },
  ): { isValid: boolean; errors: unknown[] };
}
