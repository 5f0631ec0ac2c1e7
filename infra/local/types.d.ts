declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(opts?: Record<string, unknown>): Server;
}
declare module 's3rver' {
  export default class S3rver {
    constructor(opts: Record<string, unknown>);
    run(): Promise<{ port: number; address: string }>;
    close(): Promise<void>;
  }
}
