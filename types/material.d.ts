// Globals the page scripts (docs/assets/javascripts/) use from outside: Material for
// MkDocs' observables. Only for the type check (jsconfig.json); kept outside docs/ so that
// MkDocs does not copy it into the site. Pyodide's types come from node_modules/pyodide.

/** The part of an RxJS observable that the page scripts call. */
interface MaterialObservable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

/** Emits the document on load and after every instant navigation (Material for MkDocs). */
declare var document$: MaterialObservable<Document> | undefined;
/** Emits the URL on every navigation (Material for MkDocs). */
declare var location$: MaterialObservable<URL> | undefined;

/**
 * The calculators' worker started from <head> by calculators-start.js on a page opened
 * directly, before the page's other scripts; calculators.js takes it over with the messages
 * it sent meanwhile.
 */
interface CalculatorsEarlyStart {
  worker: Worker;
  /** the worker's URL, absolute */
  url: string;
  messages: unknown[];
  error: string | null;
  /** the page data element it read, and what it parsed from it (calculators.js reads it once) */
  source: Element;
  data: { runtime: Record<string, unknown>; config: unknown };
}
declare var csCalculatorsEarly: CalculatorsEarlyStart | undefined;
