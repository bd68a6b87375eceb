/** Answering incoming calls. */
import { isTerminal } from './call-state.js';
import type { CallRecord } from './model.js';

/**
 * Whether to answer a call whose incoming-call notification just arrived. Notifications are
 * delivered at least once, so the same incoming call may be announced twice: answer it once.
 * (The answer is due within 15 s: "The current timeout value is 15 seconds for regular scenarios".)
 */
export function shouldAnswer(call: CallRecord): boolean {
  return call.direction === 'incoming' && !call.answerRequested && !isTerminal(call.status);
}

/** Body of `POST /communications/calls/{id}/answer`: audio, with service-hosted media. */
export function answerBody(callbackUri: string): object {
  return {
    callbackUri,
    acceptedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
  };
}
