import { createRouter, createWebHashHistory } from 'vue-router'
import { useSyncStore } from './stores/sync.ts'
import CounterView from './views/CounterView.vue'

// Hash history: the renderer is loaded from file:// in the packaged app.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'counter', component: CounterView },
    {
      path: '/manager',
      component: () => import('./views/ManagerView.vue'),
      children: [
        // Sales waiting for a manager's decision come first; otherwise the day.
        { path: '', redirect: () => ({ name: useSyncStore().status?.salesFailed ? 'parked' : 'day' }) },
        { path: 'day', name: 'day', component: () => import('./views/manager/DayPage.vue') },
        { path: 'parked', name: 'parked', component: () => import('./views/manager/ParkedSalesPage.vue') },
        { path: 'audit', name: 'audit', component: () => import('./views/manager/AuditPage.vue') },
        { path: 'staff', name: 'staff', component: () => import('./views/manager/StaffPage.vue') },
      ],
    },
  ],
})
