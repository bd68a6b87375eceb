/**
 * Mutant: forwards any clientContext to Graph.
 *
 * The real defect: no length check on a value the bot passes through. 000: clientContext «Может
 * содержать не более 256 символов.» "Can have a maximum of 256 characters."
 */
import { runMutant } from '../reference/run-mutant.js';

const acceptAnyClientContext = (): undefined => undefined;

await runMutant('forwards-long-client-context', { clientContextProblem: acceptAnyClientContext });
