/**
 * @module http/model-holder
 * The live model. Requests read it once at their start, so swapping in another model never
 * changes the model under a request in flight.
 */
import type { RuntimeModel } from '../model/runtime-model';
import { collectGarbageSoon } from '../heap';

export class ModelHolder {
  #model: RuntimeModel | undefined;

  constructor(model?: RuntimeModel) {
    this.#model = model;
  }

  get current(): RuntimeModel | undefined {
    return this.#model;
  }

  /** Makes `model` live, then collects what loading it left behind (src/heap.ts). */
  set(model: RuntimeModel): void {
    this.#model = model;
    collectGarbageSoon();
  }
}
