import { createRouter, createWebHashHistory } from 'vue-router'
import CounterView from './views/CounterView.vue'

// Hash history: the renderer is loaded from file:// in the packaged app.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [{ path: '/', name: 'counter', component: CounterView }],
})
