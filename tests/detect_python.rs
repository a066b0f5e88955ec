//! Python detection rules of the "Python breadth" issue: app factories, the
//! web app over console scripts, server config binds, Django's static files
//! and settings.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::python::PythonPlan;
use dfgen::pipeline;
use dfgen::plan::{Choices, Plan};

fn plan(files: &[(&str, &str)]) -> Plan {
    let dir = project(files);
    pipeline::plan(dir.path(), &Choices::default(), &Assets::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .plan
}

fn command(p: &Plan) -> Vec<String> {
    p.command.as_ref().expect("a start command").value.clone()
}

const FLASK_REQS: (&str, &str) = ("requirements.txt", "flask\ngunicorn\n");

const FLASK_FACTORY: (&str, &str) = (
    "shop/__init__.py",
    "from flask import Flask\n\n\ndef create_app(config=None):\n    app = Flask(__name__)\n    return app\n",
);

#[test]
fn flask_factory_is_called_by_gunicorn() {
    let p = plan(&[FLASK_REQS, FLASK_FACTORY]);
    assert_eq!(
        command(&p),
        vec!["gunicorn", "--bind", "0.0.0.0:8000", "shop:create_app()"]
    );
    assert!(
        p.notes.iter().any(|n| n.contains("factory")),
        "{:?}",
        p.notes
    );
}

#[test]
fn an_app_object_built_by_the_factory_wins_over_the_factory() {
    let p = plan(&[
        FLASK_REQS,
        FLASK_FACTORY,
        (
            "wsgi.py",
            "from shop import create_app\n\napp = create_app()\n",
        ),
    ]);
    assert_eq!(command(&p).last().unwrap(), "wsgi:app");
}

#[test]
fn a_factory_that_needs_arguments_is_not_a_factory() {
    let dir = project(&[
        FLASK_REQS,
        (
            "shop/__init__.py",
            "from flask import Flask\n\ndef create_app(config):\n    return Flask(config)\n",
        ),
    ]);
    let e = match pipeline::plan(dir.path(), &Choices::default(), &Assets::default()) {
        Ok(_) => panic!("expected an error: no app to run"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("create_app()") && e.contains("--cmd"), "{e}");
}

#[test]
fn fastapi_factory_runs_with_uvicorn_factory_and_beats_a_console_script() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='inv'\nversion='1'\ndependencies=['fastapi','uvicorn']\n\
             [project.scripts]\ninv-demo='inv.demo:main'\n\
             [build-system]\nrequires=['hatchling']\nbuild-backend='hatchling.build'\n",
        ),
        ("uv.lock", "version = 1\n"),
        (
            "src/inv/api.py",
            "from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    api = FastAPI()\n    return api\n",
        ),
        ("src/inv/demo.py", "def main():\n    print('demo')\n"),
    ]);
    assert_eq!(
        command(&p),
        vec![
            "uvicorn",
            "inv.api:get_application",
            "--host",
            "0.0.0.0",
            "--port",
            "8000",
            "--factory"
        ]
    );
}

#[test]
fn fastapi_entrypoint_from_pyproject_wins_over_the_code() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\ndependencies=['fastapi[standard]']\n\
             [tool.fastapi]\nentrypoint='service.web:api'\n",
        ),
        ("other.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
    ]);
    assert_eq!(command(&p)[1], "service.web:api");
}

#[test]
fn a_console_script_still_runs_when_nothing_says_web_app() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='tool'\nversion='1'\ndependencies=['requests']\n\
             [project.scripts]\ntool='tool.cli:main'\n\
             [build-system]\nrequires=['hatchling']\nbuild-backend='hatchling.build'\n",
        ),
        ("uv.lock", "version = 1\n"),
        ("src/tool/cli.py", "def main():\n    pass\n"),
    ]);
    assert_eq!(command(&p), vec!["tool"]);
}

#[test]
fn gunicorn_config_bind_gives_the_port() {
    let p = plan(&[
        FLASK_REQS,
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
        ("gunicorn.conf.py", "bind = \"0.0.0.0:5005\"\nworkers = 2\n"),
    ]);
    assert_eq!(p.port.as_ref().unwrap().value, 5005);
    assert_eq!(command(&p)[2], "0.0.0.0:5005");
    assert!(
        p.port
            .unwrap()
            .evidence
            .to_string()
            .contains("gunicorn.conf.py")
    );
}

#[test]
fn procfile_gunicorn_with_config_file_reads_its_bind() {
    let p = plan(&[
        FLASK_REQS,
        FLASK_FACTORY,
        (
            "Procfile",
            "web: gunicorn -c deploy/g.py 'shop:create_app()'\n",
        ),
        (
            "deploy/g.py",
            "import os\nbind = f\"0.0.0.0:{os.environ.get('PORT', '7001')}\"\n",
        ),
    ]);
    assert_eq!(
        command(&p),
        vec!["gunicorn", "-c", "deploy/g.py", "shop:create_app()"]
    );
    assert_eq!(p.port.as_ref().unwrap().value, 7001);
    assert!(p.port_env, "the bind reads PORT");
}

#[test]
fn procfile_gunicorn_config_binding_loopback_gets_a_public_bind_and_a_warning() {
    let p = plan(&[
        FLASK_REQS,
        FLASK_FACTORY,
        ("Procfile", "web: gunicorn 'shop:create_app()'\n"),
        ("gunicorn.conf.py", "bind = '127.0.0.1:9000'\n"),
    ]);
    assert_eq!(
        command(&p),
        vec!["gunicorn", "shop:create_app()", "--bind", "0.0.0.0:9000"]
    );
    assert_eq!(p.port.as_ref().unwrap().value, 9000);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("gunicorn.conf.py, line 1") && w.contains("loopback")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn procfile_uwsgi_ini_http_port_and_socket_warning() {
    let reqs = ("requirements.txt", "django\nuwsgi\n");
    let p = plan(&[
        reqs,
        ("Procfile", "web: uwsgi --ini uwsgi.ini\n"),
        (
            "uwsgi.ini",
            "[uwsgi]\nmodule = site.wsgi\nhttp-socket = :8081\n",
        ),
        (
            "site/settings.py",
            "WSGI_APPLICATION = 'site.wsgi.application'\n",
        ),
        ("site/wsgi.py", "application = None\n"),
    ]);
    assert_eq!(p.port.as_ref().unwrap().value, 8081);
    let p = plan(&[
        reqs,
        ("Procfile", "web: uwsgi uwsgi.ini\n"),
        ("uwsgi.ini", "[uwsgi]\nsocket = 0.0.0.0:3031\n"),
    ]);
    assert!(
        p.warnings.iter().any(|w| w.contains("uwsgi protocol")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn daphne_in_a_procfile_binds_all_interfaces() {
    let p = plan(&[
        ("requirements.txt", "django\ndaphne\n"),
        ("Procfile", "web: daphne site.asgi:application\n"),
    ]);
    assert_eq!(
        command(&p),
        vec![
            "daphne",
            "-b",
            "0.0.0.0",
            "-p",
            "8000",
            "site.asgi:application"
        ]
    );
}

fn django(reqs: &str, settings: &str) -> Plan {
    plan(&[
        ("requirements.txt", reqs),
        ("backend/manage.py", "import sys\n"),
        ("backend/config/__init__.py", ""),
        ("backend/config/settings.py", settings),
        ("backend/config/wsgi.py", "application = None\n"),
        ("backend/config/asgi.py", "application = None\n"),
    ])
}

#[test]
fn django_in_a_subfolder_runs_from_there_and_collects_static_files() {
    let p = django(
        "django\ngunicorn\nwhitenoise\n",
        "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nALLOWED_HOSTS = ['*']\n\
         WSGI_APPLICATION = 'config.wsgi.application'\n\
         MIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']\nSTATIC_ROOT = BASE_DIR / 'static'\n",
    );
    assert_eq!(
        command(&p),
        vec![
            "gunicorn",
            "--bind",
            "0.0.0.0:8000",
            "--chdir",
            "backend",
            "config.wsgi"
        ]
    );
    let py = p.part::<PythonPlan>("python").unwrap();
    let cs = py.django.unwrap().collectstatic.expect("collectstatic");
    assert_eq!(cs.command, "python backend/manage.py");
    assert_eq!(
        cs.env,
        vec![(
            "DJANGO_SECRET_KEY".to_string(),
            "build-time-placeholder".to_string()
        )]
    );
    assert!(cs.evidence.contains("STATIC_ROOT"));
}

#[test]
fn django_without_static_root_collects_nothing_and_names_host_problems() {
    let p = django(
        "django\ngunicorn\n",
        "ALLOWED_HOSTS = []\nWSGI_APPLICATION = 'config.wsgi.application'\n",
    );
    let dj = p.part::<PythonPlan>("python").unwrap().django.unwrap();
    assert!(dj.collectstatic.is_none());
    assert!(
        dj.comments
            .iter()
            .any(|c| c.contains("ALLOWED_HOSTS") && c.contains("line 1")),
        "{:?}",
        dj.comments
    );
    assert!(dj.comments.iter().any(|c| c.contains("migrate")));
    assert!(p.warnings.iter().any(|w| w.contains("ALLOWED_HOSTS")));
}

#[test]
fn django_with_channels_runs_asgi() {
    let p = django(
        "django\nchannels\ndaphne\n",
        "WSGI_APPLICATION = 'config.wsgi.application'\n",
    );
    assert_eq!(
        command(&p),
        vec![
            "daphne",
            "-b",
            "0.0.0.0",
            "-p",
            "8000",
            "config.asgi:application"
        ]
    );
    let p = django(
        "django\nuvicorn\n",
        "WSGI_APPLICATION = 'config.wsgi.application'\n",
    );
    assert_eq!(command(&p)[..2], ["uvicorn", "config.asgi:application"]);
}

#[test]
fn django_on_uwsgi_without_gunicorn() {
    let p = django(
        "django\nuwsgi\n",
        "WSGI_APPLICATION = 'config.wsgi.application'\n",
    );
    let c = command(&p);
    assert_eq!(c[0], "uwsgi");
    assert!(c.contains(&"0.0.0.0:8000".to_string()));
    assert!(c.contains(&"config.wsgi:application".to_string()));
}

fn python_part(p: &Plan) -> PythonPlan {
    p.part::<PythonPlan>("python").unwrap()
}

#[test]
fn pdm_lock_and_pipfile_lock_choose_their_managers() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\nrequires-python='>=3.11'\ndependencies=['flask','gunicorn']\n\
             [tool.pdm]\ndistribution=false\n[build-system]\nrequires=['pdm-backend']\n\
             build-backend='pdm.backend'\n",
        ),
        ("pdm.lock", "[metadata]\nlock_version = \"4.5.1\"\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    let py = python_part(&p);
    assert_eq!(py.tool, "pdm");
    assert_eq!(py.lockfile.as_deref(), Some("pdm.lock"));
    assert!(!py.installable, "[tool.pdm] distribution = false");

    let p = plan(&[
        (
            "Pipfile",
            "[packages]\nflask = '*'\ngunicorn = '*'\n[dev-packages]\npytest='*'\n\
             [requires]\npython_version = '3.12'\n",
        ),
        ("Pipfile.lock", "{}"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    let py = python_part(&p);
    assert_eq!(py.tool, "pipenv");
    assert_eq!(p.version.tag, "3.12");
    assert!(p.version.reason.contains("Pipfile"), "{}", p.version.reason);
    assert_eq!(command(&p)[0], "gunicorn", "flask found in [packages]");
}

#[test]
fn a_pipfile_without_its_lock_is_locked_at_build_time_with_a_warning() {
    let files = [
        (
            "Pipfile",
            "[packages]\nflask = '*'\ngunicorn = '*'\n[requires]\npython_version = '3.13'\n",
        ),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ];
    let p = plan(&files);
    let py = python_part(&p);
    assert_eq!(py.tool, "pipenv");
    assert_eq!(py.lockfile, None);
    assert_eq!(p.version.tag, "3.13");
    assert_eq!(command(&p)[0], "gunicorn", "flask found in [packages]");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("no lockfile for pipenv")),
        "{:?}",
        p.warnings
    );
    // requirements.txt, pinned, wins over an unlocked Pipfile.
    let mut with_req = files.to_vec();
    with_req.push(("requirements.txt", "flask==3.1.2\ngunicorn==23.0.0\n"));
    assert_eq!(python_part(&plan(&with_req)).tool, "pip");
}

#[test]
fn poetry_python_constraints_in_poetry_and_pep_440_syntax() {
    for (constraint, tag) in [
        ("^3.12", "3.13"),
        ("~3.12", "3.12"),
        (">=3.11,<3.13", "3.12"),
        ("~=3.11", "3.13"),
        ("==3.12.*", "3.12"),
        (">=3.11,!=3.13.*", "3.14"),
    ] {
        let manifest = format!(
            "[tool.poetry]\nname='x'\nversion='1'\npackage-mode=false\n\
             [tool.poetry.dependencies]\npython='{constraint}'\n"
        );
        let p = plan(&[
            ("pyproject.toml", manifest.as_str()),
            ("main.py", "print('hi')\n"),
        ]);
        assert_eq!(p.version.tag, tag, "{constraint}: {}", p.version.reason);
    }
}

#[test]
fn poetry_one_lockfiles_get_poetry_one() {
    let files = |lock: &'static str| {
        vec![
            (
                "pyproject.toml",
                "[tool.poetry]\nname='x'\nversion='1'\npackage-mode=false\n\
                 [tool.poetry.dependencies]\npython='^3.12'\n",
            ),
            ("poetry.lock", lock),
            ("main.py", "print('hi')\n"),
        ]
    };
    let old = plan(&files("[metadata]\nlock-version = \"1.1\"\n"));
    let py = python_part(&old);
    assert!(py.tool_version.as_deref().unwrap().starts_with("1."));
    assert!(py.tool_version_reason.unwrap().contains("lock-version 1.1"));
    let v20 = python_part(&plan(&files("[metadata]\nlock-version = \"2.0\"\n")));
    assert!(v20.tool_version.unwrap().starts_with("1."));
    let new = python_part(&plan(&files("[metadata]\nlock-version = \"2.1\"\n")));
    assert!(new.tool_version.unwrap().starts_with("2."));
    assert!(new.tool_version_reason.is_none());
}

#[test]
fn uv_workspace_member_with_the_web_app_is_synced_by_package() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[tool.uv.workspace]\nmembers = ['apps/*', 'libs/core']\nexclude = ['apps/old']\n",
        ),
        ("uv.lock", "version = 1\n"),
        (
            "apps/api/pyproject.toml",
            "[project]\nname='api'\nrequires-python='>=3.12'\ndependencies=['flask','gunicorn','core']\n",
        ),
        (
            "apps/api/app.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        ),
        (
            "apps/old/pyproject.toml",
            "[project]\nname='old'\ndependencies=['django']\n",
        ),
        (
            "libs/core/pyproject.toml",
            "[project]\nname='core'\ndependencies=[]\n[build-system]\nrequires=['hatchling']\n\
             build-backend='hatchling.build'\n",
        ),
    ]);
    let py = python_part(&p);
    assert_eq!(py.tool, "uv");
    assert_eq!(py.lockfile.as_deref(), Some("uv.lock"));
    let ws = py.workspace.expect("a workspace");
    assert_eq!(ws.package, "api");
    assert_eq!(ws.member, "apps/api");
    assert_eq!(
        ws.manifests,
        vec!["apps/api/pyproject.toml", "libs/core/pyproject.toml"]
    );
    // The member has no build backend: its code is imported from its folder.
    assert!(!py.installable);
    assert_eq!(
        command(&p),
        vec![
            "gunicorn",
            "--bind",
            "0.0.0.0:8000",
            "--chdir",
            "apps/api",
            "app:app"
        ]
    );
    assert!(
        p.version.reason.contains("apps/api/pyproject.toml"),
        "{}",
        p.version.reason
    );
}

#[test]
fn uv_workspace_with_two_web_members_asks() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[tool.uv.workspace]\nmembers = ['a', 'b']\n",
        ),
        ("uv.lock", "version = 1\n"),
        (
            "a/pyproject.toml",
            "[project]\nname='a'\ndependencies=['flask']\n",
        ),
        (
            "b/pyproject.toml",
            "[project]\nname='b'\ndependencies=['fastapi']\n",
        ),
    ]);
    let e = match pipeline::plan(dir.path(), &Choices::default(), &Assets::default()) {
        Ok(_) => panic!("expected an error: two apps"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("a, b") && e.contains("tool.uv.workspace"), "{e}");
}

#[test]
fn private_indexes_use_a_netrc_secret_and_inline_passwords_warn() {
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\ndependencies=['flask','gunicorn']\n\
             [[tool.uv.index]]\nname='corp'\nurl='https://pkgs.corp.example/simple/'\n",
        ),
        ("uv.lock", "version = 1\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    let ix = python_part(&p).private_index.expect("a private index");
    assert!(
        ix.contains("pkgs.corp.example") && ix.contains("tool.uv.index"),
        "{ix}"
    );
    assert!(p.warnings.iter().all(|w| !w.contains("password")));

    let p = plan(&[
        (
            "requirements.txt",
            "--extra-index-url https://me:hunter2@pkgs.corp.example/simple\nflask\ngunicorn\n",
        ),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    assert!(python_part(&p).private_index.is_some());
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("requirements.txt, line 1") && w.contains("password")),
        "{:?}",
        p.warnings
    );
    // PyPI itself, even declared as a source, needs no secret.
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\ndependencies=['flask','gunicorn']\n\
             [[tool.poetry.source]]\nname='pypi-simple'\nurl='https://pypi.org/simple/'\n",
        ),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    assert!(python_part(&p).private_index.is_none());
}

#[test]
fn the_version_follows_the_wheels_in_the_lockfile() {
    let lock = "version = 1\n\n[[package]]\nname = \"numpy\"\nversion = \"1.26.4\"\nwheels = [\n    \
                { url = \"https://f/numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl\", hash = \"x\" },\n    \
                { url = \"https://f/numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl\", hash = \"x\" },\n]\n\n\
                [[package]]\nname = \"other\"\nversion = \"1\"\nwheels = [\n    \
                { url = \"https://f/other-1-cp314-cp314-manylinux_2_17_x86_64.whl\", hash = \"x\" },\n    \
                { url = \"https://f/other-1-cp311-abi3-manylinux_2_17_x86_64.whl\", hash = \"x\" },\n]\n";
    let p = plan(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\nrequires-python='>=3.11'\ndependencies=['numpy']\n",
        ),
        ("uv.lock", lock),
        ("main.py", "import numpy\n"),
    ]);
    assert_eq!(p.version.tag, "3.12");
    assert!(
        p.version.reason.contains("numpy 1.26.4") && p.version.reason.contains("uv.lock"),
        "{}",
        p.version.reason
    );
}

// A JS front end the Python app serves: built in a Node stage, only its
// output reaches the runtime.

const VITE_PKG: &str =
    r#"{"private":true,"scripts":{"build":"vite build"},"devDependencies":{"vite":"7.3.8"}}"#;
const FASTAPI_REQS: (&str, &str) = ("requirements.txt", "fastapi\nuvicorn\n");

/// main.py: a FastAPI app that mounts StaticFiles on `dir`.
fn fastapi_serving(dir: &str) -> (&'static str, String) {
    (
        "main.py",
        format!(
            "from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\napp = FastAPI()\n\
             app.mount(\"/\", StaticFiles(directory=\"{dir}\"))\n"
        ),
    )
}

fn assets(p: &Plan) -> Option<dfgen::ecosystems::python::AssetsPlan> {
    p.part::<PythonPlan>("python").unwrap().assets
}

#[test]
fn fastapi_static_files_on_a_vite_build_get_an_assets_stage() {
    let p = plan(&[
        FASTAPI_REQS,
        (
            "app/main.py",
            "from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\n\napp = FastAPI()\n\
             app.mount(\"/\", StaticFiles(directory=\"frontend/dist\", html=True), name=\"ui\")\n",
        ),
        ("frontend/package.json", VITE_PKG),
        ("frontend/package-lock.json", "{}"),
        ("frontend/src/main.js", "console.log(1)\n"),
    ]);
    let a = assets(&p).expect("an assets stage");
    assert_eq!(a.front_end.dir, "frontend");
    assert_eq!(a.front_end.output, "frontend/dist");
    assert_eq!(a.front_end.lockfile.as_deref(), Some("package-lock.json"));
    assert!(a.served.contains("app/main.py, line 5"), "{}", a.served);
    assert_eq!(a.prune, vec!["frontend"]);
    assert_eq!(p.images["assets"], "node:22-slim");
}

#[test]
fn flask_static_folder_and_vite_out_dir_resolve_against_their_files() {
    let p = plan(&[
        FLASK_REQS,
        (
            "backend/app.py",
            "from flask import Flask\n\napp = Flask(__name__, static_folder=\"../web/build\", static_url_path=\"/\")\n",
        ),
        ("web/package.json", VITE_PKG),
        (
            "web/vite.config.js",
            "export default { build: { outDir: 'build' } };\n",
        ),
    ]);
    let a = assets(&p).expect("an assets stage");
    assert_eq!(a.front_end.output, "web/build");
    assert!(a.front_end.output_evidence.contains("build.outDir"));
    // No lockfile: npm install, and a warning.
    assert!(a.front_end.lockfile.is_none());
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("no package-lock.json"))
    );
}

#[test]
fn django_staticfiles_dirs_on_a_build_come_before_collectstatic() {
    let p = plan(&[
        ("requirements.txt", "django\ngunicorn\n"),
        ("manage.py", "import os\n"),
        (
            "mysite/settings.py",
            "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n\
             ROOT_URLCONF = \"mysite.urls\"\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"\n\
             STATICFILES_DIRS = [\n    BASE_DIR / \"frontend\" / \"build\",\n]\n",
        ),
        ("mysite/wsgi.py", "application = None\n"),
        (
            "frontend/package.json",
            r#"{"scripts":{"build":"react-scripts build"},"dependencies":{"react-scripts":"5.0.1"}}"#,
        ),
        ("frontend/package-lock.json", "{}"),
    ]);
    let a = assets(&p).expect("an assets stage");
    assert_eq!(a.front_end.output, "frontend/build");
    assert!(a.served.contains("STATICFILES_DIRS"), "{}", a.served);
}

#[test]
fn a_root_package_json_the_app_serves_is_absorbed() {
    // Without the StaticFiles line this is a Python app next to a Node app.
    let main = fastapi_serving("dist");
    let p = plan(&[
        FASTAPI_REQS,
        (main.0, &main.1),
        (
            "package.json",
            r#"{"scripts":{"build":"vite build","start":"node server.js"},"devDependencies":{"vite":"7"}}"#,
        ),
        ("server.js", "require('http').createServer().listen(3000)\n"),
        ("src/main.js", "console.log(1)\n"),
    ]);
    assert_eq!(p.ecosystem, "python");
    let a = assets(&p).expect("an assets stage");
    assert_eq!(a.front_end.dir, ".");
    // The front end's src holds no Python: it stays out of the runtime.
    assert_eq!(a.prune, vec!["src"]);
}

#[test]
fn a_served_dir_no_package_builds_is_only_a_note() {
    let main = fastapi_serving("static");
    let p = plan(&[
        FASTAPI_REQS,
        (main.0, &main.1),
        ("static/site.css", "body {}\n"),
    ]);
    assert!(assets(&p).is_none());
    assert!(
        !p.notes.iter().any(|n| n.contains("serves")),
        "{:?}",
        p.notes
    );
    // With a package.json whose build writes elsewhere: a note says why not.
    let main = fastapi_serving("ui/public");
    let p = plan(&[
        FASTAPI_REQS,
        (main.0, &main.1),
        ("ui/package.json", VITE_PKG),
    ]);
    assert!(assets(&p).is_none());
    assert!(
        p.notes.iter().any(|n| n.contains("serves ui/public")),
        "{:?}",
        p.notes
    );
}

#[test]
fn daphne_imports_a_django_project_in_a_subfolder_through_pythonpath() {
    let p = plan(&[
        ("requirements.txt", "django\ndaphne\n"),
        ("backend/manage.py", "import os\n"),
        ("backend/mysite/__init__.py", ""),
        (
            "backend/mysite/settings.py",
            "ROOT_URLCONF = \"mysite.urls\"\nWSGI_APPLICATION = \"mysite.wsgi.application\"\n",
        ),
        ("backend/mysite/wsgi.py", "application = None\n"),
        ("backend/mysite/asgi.py", "application = None\n"),
    ]);
    assert_eq!(
        command(&p),
        vec![
            "daphne",
            "-b",
            "0.0.0.0",
            "-p",
            "8000",
            "mysite.asgi:application"
        ]
    );
    assert_eq!(p.env["PYTHONPATH"].value, "/app/backend");
}
