/**
 * Mutant: takes an operation for completed only when its status is spelt "completed", as the examples write it.
 *
 * The real defect: `if (operation.status === 'completed') startMenu()`, written from the examples
 * (000: "status": "completed"; call-playprompt.md's "Notification - operation completed"). The
 * metadata spells the same enum NotStarted, Running, Completed, Failed (comms-v1.0.csdl.xml
 * EnumType operationStatus), and the documents show both casings for one operation status
 * (participant-invite.md answers "Running", the examples "running": graph-calling.md Q9). A
 * "Completed" prompt never counts as played: the IVR never listens for the caller's key press.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { isRecord } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

const completedAsWritten: BotBehaviour['shouldSubscribeToTones'] = (call, operation) =>
  isRecord(operation) && operation.status === 'completed' && referenceBehaviour.shouldSubscribeToTones(call, operation);

await runMutant('compares-status-case-sensitively', { shouldSubscribeToTones: completedAsWritten });
