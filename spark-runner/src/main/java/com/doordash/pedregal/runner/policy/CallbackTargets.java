package com.doordash.pedregal.runner.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where job callbacks may go: {@code http(s)} URLs whose host is allowed by {@code policy.callbacks.allowed-hosts}.
 * The pattern {@code *} allows any host whose addresses are neither loopback, link-local (cloud metadata services live
 * there), wildcard nor multicast; such an address is allowed only when its host is listed by name ({@code 127.0.0.1},
 * {@code localhost:8099}). No callback ever goes to a port the platform itself listens on, on any address of this
 * machine. A URL is checked at submit (its literal addresses) and again before every delivery (every address its host
 * resolves to then).
 */
public final class CallbackTargets {
    private final List<String> allowedHosts;
    private final List<Target> listed;
    private final Set<Integer> platformPorts = ConcurrentHashMap.newKeySet();

    CallbackTargets(List<String> allowedHosts) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.listed = allowedHosts.stream().filter(entry -> !entry.equals("*")).map(Target::parse).toList();
    }

    /** An entry of the allowlist: a host pattern, and a port or any port ({@code -1}). */
    private record Target(String host, int port) {
        static Target parse(String entry) {
            String text = entry.toLowerCase(Locale.ROOT);
            String host = text;
            int port = -1;
            int colon = text.lastIndexOf(':');
            boolean bracketed = text.startsWith("[");
            if (bracketed ? text.contains("]:") : colon > 0 && text.indexOf(':') == colon) {
                host = text.substring(0, colon);
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                }
                catch (NumberFormatException e) {
                    port = 0;
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("policy.callbacks.allowed-hosts: \"" + entry
                            + "\" has no valid port (expected host, *.domain, host:port or *)");
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("policy.callbacks.allowed-hosts: \"" + entry + "\" has no host");
            }
            return new Target(host, port);
        }
    }

    /** Adds ports the platform listens on (REST, gRPC, Spark Connect, the test cluster): never a callback target. */
    public void reservePlatformPorts(Collection<Integer> ports) {
        ports.stream().filter(port -> port > 0).forEach(platformPorts::add);
    }

    /**
     * Why a callback may not go to {@code url}, or empty when it may. With {@code resolve} the host name is resolved
     * and every address checked; without, only a literal address or {@code localhost} is.
     */
    public Optional<String> refusal(String url, boolean resolve) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return Optional.of("is not an http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials (user:password@)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        Optional<String> byName = listedByName(host, port);
        boolean wildcard = byName.isEmpty() && allowedHosts.contains("*");
        if (byName.isEmpty() && !wildcard) {
            return Optional.of("goes to " + host + ":" + port + ", which is not in policy.callbacks.allowed-hosts ("
                    + String.join(", ", allowedHosts) + ")");
        }
        if (!resolve && !isLiteral(host) && !host.equals("localhost") && !host.endsWith(".localhost")) {
            return Optional.empty(); // resolved and checked before each delivery
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException e) {
            return Optional.of("goes to " + host + ", which does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isLocal(address) && platformPorts.contains(port)) {
                return Optional.of("goes to port " + port + " of this machine, where the platform itself listens;"
                        + " callbacks never go to the platform");
            }
            if (wildcard && restricted(address)) {
                return Optional.of("goes to " + address.getHostAddress() + ", a " + kind(address) + " address; such an"
                        + " address is allowed only when its host is listed in policy.callbacks.allowed-hosts");
            }
        }
        return Optional.empty();
    }

    private Optional<String> listedByName(String host, int port) {
        return listed.stream()
                .filter(target -> Patterns.matches(target.host(), host) && (target.port() < 0 || target.port() == port))
                .map(target -> target.host())
                .findFirst();
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static boolean restricted(InetAddress address) {
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress() || isUniqueLocalMetadata(address);
    }

    /** fd00:ec2::254, the IPv6 address of EC2's metadata service. */
    private static boolean isUniqueLocalMetadata(InetAddress address) {
        return address instanceof Inet6Address && address.getHostAddress().toLowerCase(Locale.ROOT).startsWith("fd00:ec2:");
    }

    private static String kind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress() || isUniqueLocalMetadata(address)) {
            return "link-local";
        }
        if (address.isAnyLocalAddress()) {
            return "wildcard";
        }
        return "multicast";
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        }
        catch (SocketException e) {
            return false;
        }
    }
}
