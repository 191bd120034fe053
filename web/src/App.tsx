// Providers and routes. Every page is its own chunk, loaded when first opened, so the
// first screen carries only the frame and the page it shows.
import { KilnProblemError } from '@kiln/client';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider } from './auth/auth-context';
import { RequireAdmin, RequireAuth } from './auth/RequireAuth';
import { NotFoundPage } from './components/LazyErrorPages';
import { PageLoading } from './components/PageLoading';
import { AppLayout } from './layout/AppLayout';
import { ThemeModeProvider, useThemeMode } from './layout/theme';
import { EventStreamProvider } from './live/event-stream';
import { endSession } from './auth/session-events';
import { CSP_NONCE } from './csp-nonce';
import { loadTaskListPage, prefetchFirstScreen, preloadFirstPage } from './startup/first-screen';

const SignInPage = lazy(() => import('./pages/SignInPage'));
const TaskListPage = lazy(loadTaskListPage);
const TaskDetailPage = lazy(() => import('./pages/TaskDetailPage'));
const SubmitTaskPage = lazy(() => import('./pages/SubmitTaskPage'));
const ComparePage = lazy(() => import('./pages/ComparePage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokensPage'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage'));
const ServicesPage = lazy(() => import('./pages/ServicesPage'));
const ServiceDetailPage = lazy(() => import('./pages/ServiceDetailPage'));
const SchedulesPage = lazy(() => import('./pages/SchedulesPage'));
const SweepsPage = lazy(() => import('./pages/SweepsPage'));
const SweepDetailPage = lazy(() => import('./pages/SweepDetailPage'));
const WebhooksPage = lazy(() => import('./pages/WebhooksPage'));
const QueuesPage = lazy(() => import('./pages/QueuesPage'));
const QuotasPage = lazy(() => import('./pages/QuotasPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const SystemPage = lazy(() => import('./pages/SystemPage'));

preloadFirstPage();

/** Admin pages by path: in the admin menu, and a 403 page for anyone else. */
const ADMIN_PAGES = [
  ['/admin/users', UsersPage],
  ['/admin/queues', QueuesPage],
  ['/admin/quotas', QuotasPage],
  ['/admin/audit', AuditPage],
  ['/admin/system', SystemPage],
] as const;

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error) => {
      if (error instanceof KilnProblemError && error.status === 401) endSession();
    },
  }),
  defaultOptions: {
    queries: {
      // Live data comes from the event stream, not from refetching.
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      retry: (count, error) =>
        !(error instanceof KilnProblemError && error.status < 500) && count < 2,
    },
  },
});

/**
 * Ant Design's secondary, placeholder and hint greys fall short of WCAG AA contrast (4.5:1)
 * on its own backgrounds; these keep every text readable in both themes.
 */
function readableText(mode: 'light' | 'dark') {
  const ink = mode === 'dark' ? '255, 255, 255' : '0, 0, 0';
  return {
    colorTextSecondary: `rgba(${ink}, 0.72)`,
    colorTextTertiary: `rgba(${ink}, 0.68)`,
    colorTextQuaternary: `rgba(${ink}, 0.64)`,
    colorTextPlaceholder: `rgba(${ink}, 0.64)`,
    colorTextDescription: `rgba(${ink}, 0.68)`,
    ...(mode === 'light' ? { colorError: '#c62828', colorInfo: '#0958d9' } : {}),
  };
}

function Themed({ children }: { children: React.ReactNode }) {
  const { mode } = useThemeMode();
  return (
    <ConfigProvider
      csp={{ nonce: CSP_NONCE }}
      theme={{
        algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: { colorPrimary: '#c2410c', ...readableText(mode) },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function SignedIn() {
  return (
    <RequireAuth>
      <EventStreamProvider onLive={() => prefetchFirstScreen(queryClient)}>
        <AppLayout />
      </EventStreamProvider>
    </RequireAuth>
  );
}

export function App() {
  return (
    <ThemeModeProvider>
      <Themed>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <BrowserRouter>
              <Routes>
                <Route
                  path="/sign-in"
                  element={
                    <Suspense fallback={<PageLoading />}>
                      <SignInPage />
                    </Suspense>
                  }
                />
                <Route element={<SignedIn />}>
                  <Route index element={<Navigate to="/tasks" replace />} />
                  <Route path="/tasks" element={<TaskListPage />} />
                  <Route path="/tasks/new" element={<SubmitTaskPage />} />
                  <Route path="/tasks/:id" element={<TaskDetailPage />} />
                  <Route path="/compare" element={<ComparePage />} />
                  <Route path="/account/tokens" element={<ApiTokensPage />} />
                  <Route path="/account/password" element={<ChangePasswordPage />} />
                  <Route path="/services" element={<ServicesPage />} />
                  <Route path="/services/:name" element={<ServiceDetailPage />} />
                  <Route path="/schedules" element={<SchedulesPage />} />
                  <Route path="/sweeps" element={<SweepsPage />} />
                  <Route path="/sweeps/:id" element={<SweepDetailPage />} />
                  <Route path="/webhooks" element={<WebhooksPage />} />
                  {ADMIN_PAGES.map(([path, Page]) => (
                    <Route
                      key={path}
                      path={path}
                      element={
                        <RequireAdmin>
                          <Page />
                        </RequireAdmin>
                      }
                    />
                  ))}
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </Themed>
    </ThemeModeProvider>
  );
}
