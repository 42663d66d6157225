import { UnknownView } from './errors.js';
import { type GenerationRef, type ViewDefinition, type ViewTarget } from './read-store.port.js';
import { assertGeneration, validateViewDefinition } from './view-definition.js';

/** The definitions `ensureView` registered in this process: a view is usable once registered. */
export class ViewRegistry {
  private readonly definitions = new Map<string, ViewDefinition>();

  register(definition: ViewDefinition): void {
    validateViewDefinition(definition);
    this.definitions.set(definition.name, definition);
  }

  definition(view: string): ViewDefinition {
    const definition = this.definitions.get(view);
    if (!definition) throw new UnknownView(view);
    return definition;
  }

  /** The view a target names, checked to be registered; `generation` is undefined for the live one. */
  target(target: ViewTarget): { definition: ViewDefinition; generation: string | undefined } {
    if (typeof target === 'string') return { definition: this.definition(target), generation: undefined };
    const { view, generation } = target as GenerationRef;
    const definition = this.definition(view);
    assertGeneration(view, generation);
    return { definition, generation };
  }
}
