// The problem alert, loaded only when there is an error to show: pages on the first
// screen (the task list) keep it out of the JavaScript they load up front.
import { lazy, Suspense } from 'react';
import type { ComponentProps } from 'react';

const ProblemAlert = lazy(() =>
  import('./ProblemAlert').then((module) => ({ default: module.ProblemAlert })),
);

export function LazyProblemAlert(props: ComponentProps<typeof ProblemAlert>) {
  if (!props.error) return null;
  return (
    <Suspense fallback={null}>
      <ProblemAlert {...props} />
    </Suspense>
  );
}
