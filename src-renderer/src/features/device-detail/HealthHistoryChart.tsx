import { useEffect } from 'react';
import { formatClock } from '../../app/format';
import { useECharts } from '../../components/use-echarts';
import { HEALTH_ALARM_MAX, HEALTH_GOOD_MIN } from '../heatmap/health-scale';
import type { Line } from './device-series';

const MIN_SPAN_MS = 15 * 60_000;

/** The device's health over the kept history, on the health scale's bands (ECharts, canvas). */
export function HealthHistoryChart({ line, timeZone, name }: { line: Line; timeZone: string; name: string }) {
  const { host, chart } = useECharts();

  useEffect(() => {
    // At least a quarter of an hour wide: a new device's two points would otherwise fill the axis.
    const last = line.t[line.t.length - 1] ?? Date.now();
    const first = Math.min(line.t[0] ?? last, last - MIN_SPAN_MS);
    chart.current?.setOption({
      animation: false,
      grid: { left: 30, right: 10, top: 8, bottom: 22 },
      xAxis: {
        type: 'time',
        min: first,
        max: last,
        axisLine: { lineStyle: { color: '#34445a' } },
        axisLabel: {
          color: '#8a9bb0',
          fontSize: 10,
          formatter: (v: number) => formatClock(v, timeZone).slice(0, 5),
        },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 20,
        axisLabel: { color: '#8a9bb0', fontSize: 10 },
        splitLine: { lineStyle: { color: 'rgba(38, 50, 65, 0.6)' } },
      },
      tooltip: {
        trigger: 'axis',
        backgroundColor: '#18212c',
        borderColor: '#34445a',
        textStyle: { color: '#dbe4ee', fontSize: 12 },
        valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(0) : '—'),
      },
      series: [
        {
          type: 'line',
          name,
          showSymbol: line.t.length < 24,
          symbolSize: 4,
          connectNulls: false,
          lineStyle: { color: '#3ba4ff', width: 1.5 },
          areaStyle: { color: 'rgba(59, 164, 255, 0.08)' },
          data: line.t.map((t, i) => [t, line.v[i] ?? null]),
          markArea: {
            silent: true,
            data: [
              [{ yAxis: 0, itemStyle: { color: 'rgba(229, 72, 77, 0.10)' } }, { yAxis: HEALTH_ALARM_MAX }],
              [
                { yAxis: HEALTH_ALARM_MAX, itemStyle: { color: 'rgba(242, 197, 61, 0.07)' } },
                { yAxis: HEALTH_GOOD_MIN },
              ],
            ],
          },
        },
      ],
    });
  }, [chart, line, timeZone, name]);

  return (
    <div
      ref={host}
      className="dd-health-chart"
      data-testid="device-health-chart"
      data-points={line.t.length}
    />
  );
}
