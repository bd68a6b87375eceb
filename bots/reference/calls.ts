/**
 * The calls the bot knows, each with its own queue. The stateful SDK works this way: "one queue
 * per top level resource (I.E. call) ... This change will ensure that all notifications are
 * sequential". The notifications and control actions of one call run one at a time, in arrival
 * order; different calls do not wait for each other.
 */
import { incomingCall } from './call-record.js';
import { readCallState } from './call-state.js';
import { isRecord } from './json.js';
import type { Log } from './log.js';
import type { CallRecord } from './model.js';
import type { Notification } from './parse-notifications.js';
import { SerialQueue } from './serial-queue.js';

export interface CallEntry {
  /** Replaced, never mutated, by whoever runs in the queue. */
  call: CallRecord;
  readonly queue: SerialQueue;
}

/** Applies the notifications of one POST about one call, in order, as one message. */
export type ProcessNotification = (entry: CallEntry, notifications: Notification[]) => Promise<void>;

/** At most this many notifications are kept for calls whose 201 has not arrived yet. */
const MAX_EARLY_NOTIFICATIONS = 100;

export class Calls {
  readonly #entries = new Map<string, CallEntry>();
  readonly #process: ProcessNotification;
  readonly #log: Log;
  /** Notifications that overtook the 201 of the call they are about, by call key. */
  readonly #early = new Map<string, Notification[]>();
  #earlyCount = 0;
  #createsInFlight = 0;

  constructor(process: ProcessNotification, log: Log) {
    this.#process = process;
    this.#log = log;
  }

  /**
   * Queues the notifications of one POST, each call's together, on their calls. An incoming-call
   * notification makes its call known; notifications about other unknown calls are ignored,
   * except while the bot is creating a call (they may be about it: see creatingCall).
   */
  deliver(notifications: Notification[]): void {
    for (const [key, ofCall] of byCall(notifications)) {
      let entry = this.#entries.get(key);
      const incoming = ofCall.find(isIncomingCall);
      if (entry === undefined && incoming !== undefined) {
        entry = this.#add(incomingCall(incoming.callId, incoming.resourceData));
      }
      if (entry !== undefined) this.#enqueue(entry, ofCall);
      else if (!ofCall.every((notification) => this.#keepEarly(key, notification))) {
        this.#log(`ignored a notification about unknown call ${ofCall[0]!.callId}`);
      }
    }
  }

  /** Makes a call the bot created known, then applies any notification that overtook its 201. */
  add(call: CallRecord): void {
    const entry = this.#add(call);
    const key = callKey(call.id);
    const early = this.#early.get(key) ?? [];
    this.#early.delete(key);
    this.#earlyCount -= early.length;
    if (early.length > 0) this.#enqueue(entry, early);
  }

  /**
   * Marks a create-call request in flight until the returned function is called. In documented
   * schedules a call's notifications follow the 201, but one may overtake it: it is kept meanwhile.
   */
  creatingCall(): () => void {
    this.#createsInFlight += 1;
    return () => {
      this.#createsInFlight -= 1;
      if (this.#createsInFlight > 0) return;
      this.#early.clear();
      this.#earlyCount = 0;
    };
  }

  /** The ids of every call the bot knows, as Graph spelled them. */
  ids(): string[] {
    return [...this.#entries.values()].map((entry) => entry.call.id);
  }

  /** Runs `task` in the call's queue, after everything queued before; undefined for an unknown call. */
  async withCall<T>(callId: string, task: (entry: CallEntry) => Promise<T>): Promise<T | undefined> {
    const entry = this.#entries.get(callKey(callId));
    return entry === undefined ? undefined : entry.queue.run(() => task(entry));
  }

  #add(call: CallRecord): CallEntry {
    const entry: CallEntry = { call, queue: new SerialQueue() };
    this.#entries.set(callKey(call.id), entry);
    return entry;
  }

  #enqueue(entry: CallEntry, notifications: Notification[]): void {
    entry.queue
      .run(() => this.#process(entry, notifications))
      .catch((error: unknown) => this.#log(`call ${entry.call.id}: a notification failed: ${String(error)}`));
  }

  #keepEarly(key: string, notification: Notification): boolean {
    if (this.#createsInFlight === 0 || this.#earlyCount >= MAX_EARLY_NOTIFICATIONS) return false;
    this.#early.set(key, [...(this.#early.get(key) ?? []), notification]);
    this.#earlyCount += 1;
    return true;
  }
}

/** The notifications of one POST grouped by call, each group in arrival order. */
function byCall(notifications: Notification[]): Map<string, Notification[]> {
  const groups = new Map<string, Notification[]>();
  for (const notification of notifications) {
    const key = callKey(notification.callId);
    groups.set(key, [...(groups.get(key) ?? []), notification]);
  }
  return groups;
}

function isIncomingCall(notification: Notification): boolean {
  return (
    notification.resource.kind === 'call' &&
    notification.changeType === 'created' &&
    notification.resourceData.some((data) => isRecord(data) && readCallState(data.state) === 'incoming')
  );
}

/**
 * Call ids compare without case or dashes: Graph writes the same id as `57dab8b1-...` in one
 * place and `57DAB8B1894C...` in another (call-answer page).
 */
function callKey(callId: string): string {
  return callId.toLowerCase().replaceAll('-', '');
}
