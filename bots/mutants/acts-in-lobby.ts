/**
 * Mutant: ignores the lobby.
 *
 * The real defect: no lobby check. 001 join as guest: "The application may be placed in the lobby,
 * waiting for a user to admit it. This is defined by the isInLobby property." This bot acts on the
 * call (transfer, hold music, hang up) while its own participant is still in the lobby.
 */
import { runMutant } from '../reference/run-mutant.js';

const neverInLobby = (): boolean => false;

await runMutant('acts-in-lobby', { isWaitingInLobby: neverInLobby });
