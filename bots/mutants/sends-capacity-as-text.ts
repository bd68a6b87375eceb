/**
 * Mutant: sends `participantCapacity` as a string.
 *
 * The real defect: a setting read from the environment (`PARTICIPANT_CAPACITY=200`) is put into
 * the answer body unparsed. The Graph metadata types `participantCapacity` as Edm.Int32, so Graph
 * refuses the answer with 400 and the call times out.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

const participantCapacity = process.env.PARTICIPANT_CAPACITY ?? '200';

function answerWithTextCapacity(callbackUri: string): object {
  return { ...referenceBehaviour.answerBody(callbackUri), participantCapacity };
}

await runMutant('sends-capacity-as-text', { answerBody: answerWithTextCapacity });
