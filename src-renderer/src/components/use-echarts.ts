import { useEffect, useRef } from 'react';
import { echarts, type EChartsInstance } from '../features/heatmap/echarts-setup';

/**
 * One ECharts canvas on the returned host element, sized to the element while it is mounted and
 * disposed with it. `chart.current` is set before the caller's own effects run (they are declared
 * after this hook), so those can call setOption directly.
 */
export function useECharts() {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsInstance | null>(null);
  useEffect(() => {
    const c = echarts.init(host.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(host.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  return { host, chart };
}
