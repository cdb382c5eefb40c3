package dev.seq2seq.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/** The curve shows what a reader looks for: whole epochs, the losses' own range, the best epoch, the settings. */
class LossCurveTest {
    @Test
    void theChartMarksTheBestEpochOnAFittedAxis() {
        List<EpochRecord> history = List.of(new EpochRecord(1, 3.0, 2.9, 0.2), new EpochRecord(2, 2.5, 2.4, 0.3),
                new EpochRecord(3, 2.0, 2.6, 0.3));
        JFreeChart chart = LossCurve.chart(history, "LSTM, latent 8", "mean over real target tokens");
        XYPlot plot = chart.getXYPlot();
        assertTrue(chart.getTitle().getText().contains("LSTM, latent 8"));
        NumberAxis loss = (NumberAxis) plot.getRangeAxis();
        assertTrue(loss.getLowerBound() > 1.5, "the loss axis is fitted, not stretched to 0: " + loss.getRange());
        NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
        assertEquals(1.0, epochs.getStandardTickUnits().getCeilingTickUnit(0.3).getSize(), "whole epochs only");
        ValueMarker best = (ValueMarker) plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).iterator().next();
        assertEquals(2.0, best.getValue());
        assertTrue(best.getLabel().contains("epoch 2, 2.4000"), best.getLabel());
    }

    @Test
    void thePngIsWrittenWithoutImageIosDiskCache(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws Exception {
        javax.imageio.ImageIO.setUseCache(true);
        java.nio.file.Path png = folder.resolve("curve.png");
        LossCurve.write(png, List.of(new EpochRecord(1, 3.0, 2.9, 0.2)), "LSTM", "mean");
        assertTrue(!javax.imageio.ImageIO.getUseCache(), "ImageIO would buffer in the system's temporary folder");
        assertEquals(1, java.nio.file.Files.list(folder).count(), "only the PNG, no temporary file left");
        assertTrue(java.nio.file.Files.size(png) > 1000);
    }
}
