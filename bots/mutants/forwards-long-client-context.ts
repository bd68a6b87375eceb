/**
 * Mutant: forwards any clientContext to Graph.
 *
 * The real defect: no length check on a value the bot passes through. 000: clientContext «Может
 * содержать не более 256 символов.» "Can have a maximum of 256 characters."
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { runBot } from '../reference/run-bot.js';

const acceptAnyClientContext = (): undefined => undefined;

await runBot({ ...referenceBehaviour, clientContextProblem: acceptAnyClientContext }, 'forwards-long-client-context');
