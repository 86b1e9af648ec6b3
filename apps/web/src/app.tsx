import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { isStaff, SessionProvider, useSession } from './lib/session';
import { AuditLogPage } from './pages/admin/audit-log';
import { CloudAccountsPage } from './pages/admin/cloud-accounts';
import { EnvironmentsPage } from './pages/admin/environments';
import { SelfCheckPage } from './pages/admin/self-check';
import { TokensPage } from './pages/admin/tokens';
import { BlueprintPage } from './pages/blueprint';
import { CatalogPage } from './pages/catalog';
import { DeploymentPage } from './pages/deployment';
import { DeploymentsPage } from './pages/deployments';
import { NotFoundPage } from './pages/not-found';
import { OrderPage } from './pages/order';
import { SignInPage } from './pages/sign-in';

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
  return <Outlet />;
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
          {
            path: 'admin',
            element: <RequireStaff />,
            children: [
              { index: true, element: <Navigate to="/admin/cloud-accounts" replace /> },
              { path: 'cloud-accounts', element: <CloudAccountsPage /> },
              { path: 'environments', element: <EnvironmentsPage /> },
              { path: 'tokens', element: <TokensPage /> },
              { path: 'audit-log', element: <AuditLogPage /> },
              { path: 'self-check', element: <SelfCheckPage /> },
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
