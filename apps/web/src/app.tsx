import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { isStaff, SessionProvider, useSession } from './lib/session';
import { AccountPasswordPage } from './pages/account-password';
import { ApprovalsPage } from './pages/approvals';
import { BenchmarkPage } from './pages/benchmark';
import { BlueprintPage } from './pages/blueprint';
import { CatalogPage } from './pages/catalog';
import { DeploymentPage } from './pages/deployment';
import { DeploymentsPage } from './pages/deployments';
import { NotFoundPage } from './pages/not-found';
import { OrderPage } from './pages/order';
import { SignInPage } from './pages/sign-in';

// the admin console is its own chunk: members never load it
const AuditLogPage = lazy(() => import('./pages/admin/audit-log').then((m) => ({ default: m.AuditLogPage })));
const CloudAccountsPage = lazy(() =>
  import('./pages/admin/cloud-accounts').then((m) => ({ default: m.CloudAccountsPage })),
);
const EnvironmentsPage = lazy(() =>
  import('./pages/admin/environments').then((m) => ({ default: m.EnvironmentsPage })),
);
const SelfCheckPage = lazy(() =>
  import('./pages/admin/self-check').then((m) => ({ default: m.SelfCheckPage })),
);
const GovernancePage = lazy(() =>
  import('./pages/admin/governance').then((m) => ({ default: m.GovernancePage })),
);
const TokensPage = lazy(() => import('./pages/admin/tokens').then((m) => ({ default: m.TokensPage })));
const UsersPage = lazy(() => import('./pages/admin/users').then((m) => ({ default: m.UsersPage })));

function RequireSession() {
  const { me, checking } = useSession();
  const location = useLocation();
  if (checking) return <Loading what="Checking your session" />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
}

function RequireStaff() {
  const { me } = useSession();
  if (!isStaff(me)) {
    return (
      <div className="state state-error" role="alert">
        The admin console is for admins and operators; you are signed in as a {me?.role}.
      </div>
    );
  }
  return (
    <Suspense fallback={<Loading what="Loading the admin console" />}>
      <Outlet />
    </Suspense>
  );
}

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/catalog" replace /> },
          { path: 'catalog', element: <CatalogPage /> },
          { path: 'catalog/:name', element: <BlueprintPage /> },
          { path: 'catalog/:name/:version/order', element: <OrderPage /> },
          { path: 'deployments', element: <DeploymentsPage /> },
          { path: 'deployments/:id', element: <DeploymentPage /> },
          { path: 'approvals', element: <ApprovalsPage /> },
          { path: 'benchmarks/:id', element: <BenchmarkPage /> },
          { path: 'account/password', element: <AccountPasswordPage /> },
          {
            path: 'admin',
            element: <RequireStaff />,
            children: [
              { index: true, element: <Navigate to="/admin/cloud-accounts" replace /> },
              { path: 'cloud-accounts', element: <CloudAccountsPage /> },
              { path: 'environments', element: <EnvironmentsPage /> },
              { path: 'tokens', element: <TokensPage /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'audit-log', element: <AuditLogPage /> },
              { path: 'self-check', element: <SelfCheckPage /> },
              { path: 'governance', element: <GovernancePage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
