import { createRouter, createWebHashHistory } from 'vue-router'
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
        { path: '', redirect: { name: 'parked' } },
        { path: 'parked', name: 'parked', component: () => import('./views/manager/ParkedSalesPage.vue') },
        { path: 'audit', name: 'audit', component: () => import('./views/manager/AuditPage.vue') },
        { path: 'staff', name: 'staff', component: () => import('./views/manager/StaffPage.vue') },
      ],
    },
  ],
})
