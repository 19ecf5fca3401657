import { LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  MarkAreaComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * ECharts from `echarts/core` with only what the telemetry views draw — the heatmap's cells
 * (large-mode scatter of rect symbols on a category grid, see HeatmapChart) and the device
 * detail's health history (line) — on the canvas renderer: the full bundle is several times larger.
 */
echarts.use([
  ScatterChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

export { echarts };
export type EChartsInstance = ReturnType<typeof echarts.init>;
