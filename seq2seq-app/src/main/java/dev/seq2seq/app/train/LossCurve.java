package dev.seq2seq.app.train;

import dev.seq2seq.app.model.TrainingState.EpochRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        ChartUtils.saveChartAsPNG(temporary.toFile(), chart, 900, 500);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
