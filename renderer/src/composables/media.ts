import { onMounted, onUnmounted, ref, type Ref } from 'vue'

/** Whether a CSS media query matches, kept up to date while the component lives. */
export function useMediaQuery(query: string): Ref<boolean> {
  const list = window.matchMedia(query)
  const matches = ref(list.matches)
  const onChange = (event: MediaQueryListEvent): void => {
    matches.value = event.matches
  }
  onMounted(() => list.addEventListener('change', onChange))
  onUnmounted(() => list.removeEventListener('change', onChange))
  return matches
}
