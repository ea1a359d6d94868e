package io.joinery.proxy.http;

import io.helidon.common.socket.SocketOptions;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A listener's socket options that also time out a client's reads: a connection whose client sends
 * nothing for {@code timeout} while the server waits for bytes (in the middle of a request's head
 * or body, or between requests on a kept-alive connection) is closed. A request being worked on is
 * not affected: no read is pending then.
 *
 * <p>Note [Client read timeout]: Helidon 4.5's server ignores {@code connection-options.read-timeout}
 * (it is applied to client sockets only), and its idle-connection check closes only connections
 * waiting for a request line, so a client that sent half a request held its connection forever. A
 * blocking socket's {@code SO_TIMEOUT} does time out its reads, but only through the stream of the
 * channel's socket adaptor, which Helidon reads when {@code use-nio} is false: hence both. Set on
 * each accepted channel here, since Helidon offers no other hook.
 */
public final class ClientReadTimeout implements SocketOptions {

    private final SocketOptions options;
    private final Duration timeout;

    private ClientReadTimeout(SocketOptions options, Duration timeout) {
        this.options = options;
        this.timeout = timeout;
    }

    /** {@code options} (Helidon's) plus a read timeout on accepted connections. */
    public static SocketOptions of(SocketOptions options, Duration timeout) {
        return new ClientReadTimeout(options, timeout);
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        options.configureSocket(channel);
        try {
            channel.socket().setSoTimeout(Math.toIntExact(timeout.toMillis()));
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot set the read timeout of a client connection", e);
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return options.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return options.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return timeout;
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return options.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return options.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return options.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return options.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return options.tcpNoDelay();
    }
}
