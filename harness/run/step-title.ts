import type { Step } from '../model/suite.js';

/** A one-line title of a step for reports: `notify transfer/notification-transferring`. */
export function stepTitle(step: Step, index: number): string {
  const n = `${index + 1}.`;
  switch (step.kind) {
    case 'notify':
      return `${n} notify ${step.recording}`;
    case 'control':
      return `${n} control ${step.method} ${step.path}`;
    case 'expect':
      return `${n} expect ${step.request.method ?? ''} ${step.request.path}${step.times !== undefined ? ` ×${step.times}` : ''}`.replace('  ', ' ');
    case 'expectNo':
      return `${n} expect no ${step.request.method ?? ''} ${step.request.path}`.replace('  ', ' ');
    case 'probe':
      return `${n} probe ${JSON.stringify(step.expect)}`;
  }
}
