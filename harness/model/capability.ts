/**
 * What a bot does, as its target profile declares it (`capabilities:`). A scenario runs only on a
 * bot that declares every capability it needs; on the others it is `not applicable`, not failed.
 */
export const BOT_CAPABILITIES = {
  answersIncomingCalls: 'answers (or rejects) the incoming calls Graph notifies it of',
  createsCalls: 'places calls of its own (peer-to-peer, group, PSTN)',
  joinsMeetings: 'joins Teams meetings',
  transfers: 'transfers its calls',
  holdMusic: 'puts participants on hold with music, and takes them off',
  hangsUp: 'hangs up its calls when asked',
  playsPrompts: 'plays prompts (an IVR greeting, announcements)',
  subscribesToTones: 'subscribes to DTMF tones and acts on them (transfers or hangs up on a key press of its menu)',
  recordsCompliance: 'is a compliance-recording bot: it reports its recording status',
  keepsAlive:
    'sends keepAlive for its calls (call-keepalive.md: every 15 to 45 minutes); a run of seconds cannot wait for its timer, so confcall asks for one through a trigger',
  leavesWhenAlone:
    'leaves (hangs up) a meeting it joined once the last human has left the roster; a rule the bot declares, not one the documents state',
} as const;

export type BotCapability = keyof typeof BOT_CAPABILITIES;

/** Every capability, in the order the profile documentation lists them. */
export const CAPABILITY_NAMES = Object.keys(BOT_CAPABILITIES) as BotCapability[];

/**
 * What a bot does on its own when Graph notifies it (an incoming call, an established call it
 * greets or records): no trigger shows these, so a profile may declare them with no action mapped.
 */
export const REACTIVE_CAPABILITIES: readonly BotCapability[] = ['answersIncomingCalls', 'playsPrompts', 'subscribesToTones', 'recordsCompliance', 'leavesWhenAlone'];

/** What a profile without `capabilities` declares: what DESIGN.md's control API can drive. */
export const CONTROL_API_CAPABILITIES: readonly BotCapability[] = ['answersIncomingCalls', 'createsCalls', 'joinsMeetings', 'transfers', 'holdMusic', 'hangsUp'];
