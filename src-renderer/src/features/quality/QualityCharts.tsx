import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import type { QualityReport } from '@shared/contract';
import { useECharts } from '../../components/use-echarts';
import { echarts, type EChartsInstance } from '../heatmap/echarts-setup';
import { leadHistogram } from './quality-model';

// The shared setup registers what the telemetry views draw; the quality charts add bars and a legend.
echarts.use([BarChart, LegendComponent]);

const AXIS = {
  axisLine: { lineStyle: { color: '#34445a' } },
  axisLabel: { color: '#8a9bb0', fontSize: 11 },
  splitLine: { lineStyle: { color: 'rgba(38, 50, 65, 0.6)' } },
};
const TOOLTIP = {
  trigger: 'axis' as const,
  backgroundColor: '#18212c',
  borderColor: '#34445a',
  textStyle: { color: '#dbe4ee', fontSize: 12 },
};

type ChartOption = Parameters<EChartsInstance['setOption']>[0];

/** One ECharts canvas that follows its option and its box's size. */
function EChart({
  option,
  testId,
  data,
}: {
  option: ChartOption;
  testId: string;
  data?: Record<string, string>;
}) {
  const { host, chart } = useECharts();
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [chart, option]);
  const attrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return <div ref={host} className="q-chart" data-testid={testId} {...attrs} />;
}

export function LeadHistogram({ leadHours }: { leadHours: readonly number[] }) {
  const { t } = useTranslation();
  const option = useMemo((): ChartOption => {
    const h = leadHistogram(leadHours);
    return {
      animation: false,
      grid: { left: 36, right: 12, top: 16, bottom: 40 },
      tooltip: { ...TOOLTIP, axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: h.labels,
        name: t('predict.quality.charts.leadAxis'),
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { color: '#8a9bb0' },
        ...AXIS,
        splitLine: { show: false },
      },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [
        {
          type: 'bar',
          name: t('predict.quality.charts.count'),
          data: h.counts.map((c, i) => ({
            value: c,
            // Below the 4 h the product promises: amber; the rest blue.
            itemStyle: { color: (h.from[i] ?? 0) < 4 ? '#f5b02a' : '#3ba4ff' },
          })),
          barCategoryGap: '12%',
        },
      ],
    };
  }, [leadHours, t]);
  return <EChart option={option} testId="quality-lead-chart" data={{ values: String(leadHours.length) }} />;
}

export function DailyBars({ daily }: { daily: QualityReport['daily'] }) {
  const { t } = useTranslation();
  const option = useMemo(
    (): ChartOption => ({
      animation: false,
      grid: { left: 36, right: 12, top: 30, bottom: 28 },
      tooltip: { ...TOOLTIP, axisPointer: { type: 'shadow' } },
      legend: {
        top: 0,
        right: 0,
        textStyle: { color: '#8a9bb0', fontSize: 11 },
        itemWidth: 12,
        itemHeight: 8,
      },
      xAxis: {
        type: 'category',
        data: daily.map((d) => d.day.slice(5)),
        ...AXIS,
        splitLine: { show: false },
      },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [
        {
          type: 'bar',
          stack: 'p',
          name: t('predict.quality.charts.tp'),
          data: daily.map((d) => d.truePositives),
          itemStyle: { color: '#3fcf7a' },
          barMaxWidth: 48,
        },
        {
          type: 'bar',
          stack: 'p',
          name: t('predict.quality.charts.fp'),
          data: daily.map((d) => d.falsePositives),
          itemStyle: { color: '#f5b02a' },
          barMaxWidth: 48,
        },
        {
          type: 'bar',
          name: t('predict.quality.charts.missed'),
          data: daily.map((d) => d.missed),
          itemStyle: { color: '#ff4d4f' },
          barMaxWidth: 48,
        },
      ],
    }),
    [daily, t],
  );
  return <EChart option={option} testId="quality-daily-chart" data={{ days: String(daily.length) }} />;
}
