/**
 * @module http/model-holder
 * The live model. Requests read it once at their start, so swapping in another model never
 * changes the model under a request in flight.
 */
import type { RuntimeModel } from '../model/runtime-model';

export class ModelHolder {
  #model: RuntimeModel | undefined;

  constructor(model?: RuntimeModel) {
    this.#model = model;
  }

  get current(): RuntimeModel | undefined {
    return this.#model;
  }

  set(model: RuntimeModel): void {
    this.#model = model;
  }
}
