import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart } from 'echarts/charts';
import { LegendComponent, MarkLineComponent } from 'echarts/components';
import type { HotlineKpi } from '@shared/contract';
import { useECharts } from '../../components/use-echarts';
import { echarts, type EChartsInstance } from '../heatmap/echarts-setup';

echarts.use([BarChart, LegendComponent, MarkLineComponent]);

type ChartOption = Parameters<EChartsInstance['setOption']>[0];

const AXIS = {
  axisLine: { lineStyle: { color: '#34445a' } },
  axisLabel: { color: '#8a9bb0', fontSize: 11 },
  splitLine: { lineStyle: { color: 'rgba(38, 50, 65, 0.6)' } },
};

/** Accuracy per day (line, left axis, with the 90% target) over the day's requests (bars, right axis). */
export function AccuracyByDay({ days }: { days: HotlineKpi['byDay'] }) {
  const { t } = useTranslation();
  const { host, chart } = useECharts();
  const option = useMemo((): ChartOption => {
    const accuracyName = t('hotline.kpi.col.accuracy');
    const ticketsName = t('hotline.kpi.col.tickets');
    return {
      animation: false,
      grid: { left: 44, right: 44, top: 28, bottom: 28 },
      legend: { top: 0, right: 8, textStyle: { color: '#8a9bb0', fontSize: 11 } },
      tooltip: {
        trigger: 'axis',
        backgroundColor: '#18212c',
        borderColor: '#34445a',
        textStyle: { color: '#dbe4ee', fontSize: 12 },
      },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)), ...AXIS, splitLine: { show: false } },
      yAxis: [
        {
          type: 'value',
          min: 0,
          max: 100,
          axisLabel: { ...AXIS.axisLabel, formatter: '{value}%' },
          axisLine: AXIS.axisLine,
          splitLine: AXIS.splitLine,
        },
        { type: 'value', minInterval: 1, ...AXIS, splitLine: { show: false } },
      ],
      series: [
        {
          type: 'bar',
          name: ticketsName,
          yAxisIndex: 1,
          data: days.map((d) => d.tickets),
          itemStyle: { color: 'rgba(59, 164, 255, 0.35)' },
          barCategoryGap: '30%',
          barMaxWidth: 36,
        },
        {
          type: 'line',
          name: accuracyName,
          data: days.map((d) => (d.accuracy === null ? null : Math.round(d.accuracy * 1000) / 10)),
          itemStyle: { color: '#3fcf7a' },
          lineStyle: { width: 2 },
          symbolSize: 6,
          connectNulls: false,
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#f5b02a', type: 'dashed' },
            label: { color: '#f5b02a', formatter: '90%' },
            data: [{ yAxis: 90 }],
          },
        },
      ],
    };
  }, [days, t]);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [chart, option]);
  return <div ref={host} className="hk-chart" data-testid="hotline-by-day" data-days={days.length} />;
}
