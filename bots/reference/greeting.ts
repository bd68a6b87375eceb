/**
 * The IVR greeting: once a call the bot answered is established, the bot plays one prompt in it.
 * Pure functions only; the request is made by call-actions.ts.
 */
import type { CallRecord, CallUpdate } from './model.js';

/**
 * Play the greeting after this update? Only for a call the bot answered (with service-hosted
 * media: call-playprompt.md, "The playPrompt action is supported only for calls that are initiated
 * with serviceHostedMediaConfig"), once it is established, and once per call: notifications are
 * delivered at least once, and `established` comes again after a failed transfer
 * (003: "If the call transfer fails, the call state will be established") and with every tone
 * (call-subscribetotone.md: a call update, "state": "established", with toneInfo).
 */
export function shouldPlayGreeting(call: CallRecord, update: CallUpdate): boolean {
  return (
    call.direction === 'incoming' &&
    call.answerRequested &&
    // A recorder is a silent participant: it plays nothing into the call it records.
    !call.isRecordingInvitation &&
    !call.greetingRequested &&
    update.state === 'established' &&
    call.status.state === 'established'
  );
}

/**
 * Body of `POST /communications/calls/{id}/playPrompt` (call-playprompt.md: prompts, a mediaPrompt
 * collection of at most 20; clientContext, "Unique client context string. Can have a maximum of 256
 * characters."). The prompt is the bot's own file, next to its callback; the clientContext names
 * the call, so the completion notification can be told apart from other operations.
 */
export function greetingBody(callbackUri: string, callId: string): object {
  return {
    clientContext: `greeting:${callId}`,
    prompts: [
      {
        '@odata.type': '#microsoft.graph.mediaPrompt',
        mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: new URL('/prompts/greeting.wav', callbackUri).href },
      },
    ],
  };
}
