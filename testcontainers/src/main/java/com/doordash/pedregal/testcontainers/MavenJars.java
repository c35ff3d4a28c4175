package com.doordash.pedregal.testcontainers;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Jars with their runtime dependencies, from the local Maven repository ({@code maven.repo.local}, else
 * {@code ~/.m2/repository}) or downloaded into it from Maven Central (or {@code DCP_MAVEN_REMOTE}): what a Maven
 * build of the user's would resolve.
 */
final class MavenJars {
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private MavenJars() {
    }

    /** The jars of {@code coordinates} ({@code group:artifact:version}) and of their runtime dependencies. */
    static List<Path> resolve(List<String> coordinates) {
        RepositorySystem system = new RepositorySystemSupplier().get();
        try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository())
                .setSystemProperties(System.getProperties())
                .build()) {
            RemoteRepository remote = new RemoteRepository.Builder("central", "default", remoteRepository()).build();
            List<Dependency> roots = coordinates.stream()
                    .map(coordinate -> new Dependency(new DefaultArtifact(coordinate), JavaScopes.RUNTIME))
                    .toList();
            CollectRequest collect = new CollectRequest(roots, List.of(), List.of(remote));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            return system.resolveDependencies(session, request).getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact)
                    .map(artifact -> artifact.getPath())
                    .toList();
        }
        catch (DependencyResolutionException e) {
            throw new IllegalStateException("cannot resolve " + String.join(", ", coordinates) + " from "
                    + localRepository() + " or " + remoteRepository() + ": " + e.getMessage(), e);
        }
        finally {
            system.shutdown();
        }
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String remoteRepository() {
        String configured = System.getenv("DCP_MAVEN_REMOTE");
        return configured != null && !configured.isBlank() ? configured : CENTRAL;
    }
}
