/**
 * Mutant: a compliance recorder that never reports its recording status.
 *
 * The real defect: the recorder starts persisting media as soon as the call is established and
 * never calls updateRecordingStatus. call-updaterecordingstatus.md: "You may NOT use the Media
 * Access API to record or otherwise persist media content ... without first calling the
 * updateRecordingStatus API to indicate that recording has begun". The media it persists is not on
 * Graph's wire; the missing `recording` report is.
 */
import { runMutant } from '../reference/run-mutant.js';

const neverReport = (): boolean => false;

await runMutant('records-without-reporting', { shouldReportRecording: neverReport });
