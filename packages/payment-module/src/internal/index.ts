/** Not part of the public API: what this repository's CLI reads from a module (see ModuleInternals). */
export { internalsOf, type ModuleInternals } from '../module/internals.js';
export { storedSession } from './stored-session.js';
