package io.accountsecurity.twofactor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** Renders otpauth URIs as QR codes in PNG, on a worker thread. */
@Singleton
public class QrCodes {

    /** Pixels per module, and the quiet zone in modules that the QR specification asks for. */
    private static final int SCALE = 6;
    private static final int QUIET_ZONE = 4;

    public Uni<byte[]> png(String content) {
        return io.quarkus.vertx.VertxContextSupport.executeBlocking(() -> render(content));
    }

    static byte[] render(String content) {
        try {
            // Size 0 gives one pixel per module; each module is then drawn as a whole square of SCALE pixels.
            BitMatrix matrix = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE));
            int size = matrix.getWidth() * SCALE;
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    image.setRGB(x, y, matrix.get(x / SCALE, y / SCALE) ? 0xff000000 : 0xffffffff);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return png.toByteArray();
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
