// Providers and routes. Every page is its own chunk, loaded when first opened, so the
// first screen carries only the frame and the page it shows.
import { KilnProblemError } from '@kiln/client';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider } from './auth/auth-context';
import { RequireAdmin, RequireAuth } from './auth/RequireAuth';
import { NotFoundPage } from './components/ErrorPages';
import { PageLoading } from './components/PageLoading';
import { AppLayout } from './layout/AppLayout';
import { ThemeModeProvider, useThemeMode } from './layout/theme';
import { EventStreamProvider } from './live/event-stream';
import { endSession } from './auth/session-events';

const SignInPage = lazy(() => import('./pages/SignInPage'));
const TaskListPage = lazy(() => import('./pages/TaskListPage'));
const TaskDetailPage = lazy(() => import('./pages/TaskDetailPage'));
const SubmitTaskPage = lazy(() => import('./pages/SubmitTaskPage'));
const ComparePage = lazy(() => import('./pages/ComparePage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokensPage'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage'));

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

/** The style nonce Kiln put in index.html for this page load (see its CSP). */
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;

function Themed({ children }: { children: React.ReactNode }) {
  const { mode } = useThemeMode();
  return (
    <ConfigProvider
      csp={{ nonce: styleNonce }}
      theme={{
        algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: { colorPrimary: '#c2410c' },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function SignedIn() {
  return (
    <RequireAuth>
      <EventStreamProvider>
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
                  <Route
                    path="/admin/users"
                    element={
                      <RequireAdmin>
                        <UsersPage />
                      </RequireAdmin>
                    }
                  />
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
