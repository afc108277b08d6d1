/**
 * The part of WebAssembly's JavaScript API that pagesift uses (model/gradient.ts). Node has it;
 * @types/node 20 does not declare it, and TypeScript's DOM library would declare a browser besides.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    /** A shared memory's buffer is a SharedArrayBuffer, and the memory can be posted to a worker. */
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
