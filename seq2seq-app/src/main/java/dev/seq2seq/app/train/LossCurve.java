package dev.seq2seq.app.train;

import dev.seq2seq.app.model.TrainingState.EpochRecord;
import dev.seq2seq.nn.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The loss per epoch, training and validation, drawn as a PNG next to the checkpoint. */
public final class LossCurve {
    private LossCurve() {
    }

    public static void write(Path file, List<EpochRecord> history, String lossKind) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // ImageIO would otherwise buffer the PNG in a file of the system's temporary folder: nothing
        // is written outside the folder the user named.
        ImageIO.setUseCache(false);
        XYSeries train = new XYSeries("training loss");
        XYSeries validation = new XYSeries("validation loss");
        for (EpochRecord record : history) {
            train.add(record.epoch(), record.trainLoss());
            if (!Double.isNaN(record.validationLoss())) {
                validation.add(record.epoch(), record.validationLoss());
            }
        }
        XYSeriesCollection series = new XYSeriesCollection(train);
        series.addSeries(validation);
        JFreeChart chart = ChartFactory.createXYLineChart("seq2seq training", "epoch",
                "cross-entropy (" + lossKind + ")", series, PlotOrientation.VERTICAL, true, false, false);
        AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 500));
    }
}
