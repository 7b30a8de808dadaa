package dev.meshplane.controlplane.xds;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a Kubernetes Service does for the xDS port, in miniature: each new connection goes to the
 * first replica that accepts it. A replica that has stopped listening is skipped.
 */
final class TcpFront implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> backends;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "tcp-front");
        thread.setDaemon(true);
        return thread;
    });

    TcpFront(List<Integer> backendPorts) throws IOException {
        this.backends = backendPorts;
        this.listener = new ServerSocket(0);
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> forward(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        for (int port : backends) {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException refused) {
                close(upstream);
                continue;
            }
            threads.execute(() -> pipe(client, upstream));
            pipe(upstream, client);
            return;
        }
        close(client);
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // either side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
