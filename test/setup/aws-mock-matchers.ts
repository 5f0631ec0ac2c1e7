// aws-sdk-client-mock matchers (toHaveReceivedCommandWith, …) for every test file.
import 'aws-sdk-client-mock-vitest/extend';
import type { CustomMatcher } from 'aws-sdk-client-mock-vitest';

declare module '@vitest/expect' {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors vitest's own Matchers<T = any>
  interface Matchers<T = any> extends CustomMatcher<T> {}
}
