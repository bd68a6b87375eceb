import type { RequestMatcher, Step } from '../model/suite.js';

/** A one-line title of a step for reports: `notify transfer/notification-transferring`. */
export function stepTitle(step: Step, index: number): string {
  const n = `${index + 1}.`;
  switch (step.kind) {
    case 'notify':
      return `${n} notify ${step.recording}`;
    case 'control':
      return `${n} control ${step.method} ${step.path}`;
    case 'expect':
      return `${n} expect ${describeRequest(step.request)}${step.times !== undefined ? ` ×${step.times}` : ''}`;
    case 'expectNo':
      return `${n} expect no ${describeRequest(step.request)}`;
    case 'probe':
      return `${n} probe ${JSON.stringify(step.expect)}`;
  }
}

/** `POST /communications/calls/{call.id}/transfer or DELETE /communications/calls/{call.id}`. */
function describeRequest(request: RequestMatcher): string {
  return [request, ...(request.or ?? [])].map((m) => (m.method ? `${m.method} ${m.path}` : m.path)).join(' or ');
}
