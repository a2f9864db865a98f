// Load OWL documents with the OWL API and run its OWL 2 DL profile check, as Protégé does on open.
// Usage: java -cp <owlapi and its dependencies> tests/readers/OwlProfileCheck.java <file>...
// The files are loaded in order into one manager, so a later file's owl:imports of an earlier
// file's ontology is resolved locally (never fetched). One JSON line per file: the OWL API
// version, the parsed format, the profile violations (type and message), the triples the
// parser could not turn into axioms, and the axiom and entity counts.
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.EntityType;
import org.semanticweb.owlapi.model.OWLDeclarationAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfileCheck {
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String counts(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> str(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    public static void main(String[] args) throws Exception {
        String version;  // the Debian jars carry the version in the manifest only
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(
                new File(OWLManager.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        for (String path : args) {
            OWLOntology o = manager.loadOntologyFromOntologyDocument(new File(path));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(o);
            List<String> violations = report.getViolations().stream()
                    .map(v -> "{\"type\":" + str(v.getClass().getSimpleName()) + ",\"message\":" + str(v.toString()) + "}")
                    .collect(Collectors.toList());
            long unparsed = o.getFormat().getOntologyLoaderMetaData()
                    .filter(m -> m instanceof RDFParserMetaData)
                    .map(m -> ((RDFParserMetaData) m).getUnparsedTriples().count()).orElse(-1L);
            Map<String, Long> declared = new TreeMap<>();
            for (OWLDeclarationAxiom ax : o.getAxioms(AxiomType.DECLARATION)) {
                declared.merge(ax.getEntity().getEntityType().getName(), 1L, Long::sum);
            }
            Map<String, Long> signature = new TreeMap<>();
            signature.put("Class", o.classesInSignature(Imports.EXCLUDED).count());
            signature.put("ObjectProperty", o.objectPropertiesInSignature(Imports.EXCLUDED).count());
            signature.put("DataProperty", o.dataPropertiesInSignature(Imports.EXCLUDED).count());
            signature.put("AnnotationProperty", o.annotationPropertiesInSignature(Imports.EXCLUDED).count());
            signature.put("NamedIndividual", o.individualsInSignature(Imports.EXCLUDED).count());
            signature.put("Datatype", o.datatypesInSignature(Imports.EXCLUDED).count());
            System.out.println("{\"file\":" + str(path)
                    + ",\"owlapi\":" + str(String.valueOf(version))
                    + ",\"format\":" + str(o.getFormat().getKey())
                    + ",\"ontology\":" + str(o.getOntologyID().getOntologyIRI().map(Object::toString).orElse(""))
                    + ",\"imports\":" + o.importsClosure().count()
                    + ",\"in_profile\":" + report.isInProfile()
                    + ",\"violations\":[" + String.join(",", violations) + "]"
                    + ",\"unparsed_triples\":" + unparsed
                    + ",\"axioms\":" + o.getAxiomCount()
                    + ",\"logical_axioms\":" + o.getLogicalAxiomCount()
                    + ",\"declared\":" + counts(declared)
                    + ",\"signature\":" + counts(signature) + "}");
        }
    }
}
