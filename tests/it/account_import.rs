//! Bulk import of accounts (issue 16): exact refused lines, idempotent re-runs, all or nothing
//! per line, invitations, and the web's upload, preview and confirmation.

use entrepairs::domain::account_import::{self, Action};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::{accounts, invitations};

use crate::support::{DomainNode, TestNode};

fn community(slug: &str) -> NewCommunityInput {
    NewCommunityInput {
        slug: slug.into(),
        name: "Accueil du public".into(),
        description: String::new(),
        tags: String::new(),
        join_mode: "invitation".into(),
        question: String::new(),
        charter: String::new(),
    }
}

/// A file of `good` agents with `n_bad` bad lines at known places; returns it and the bad
/// line numbers.
fn file(good: usize, n_bad: usize) -> (String, Vec<u64>) {
    let mut csv = String::from("\u{feff}Email;Prénom;Nom;Métier;Service;Communautés\r\n");
    let mut bad = Vec::new();
    let mut line = 1u64;
    for i in 0..good {
        line += 1;
        csv.push_str(&format!(
            "agent{i}@ville.test;Prénom{i};Nom{i};Agente d'accueil;Accueil;accueil\r\n"
        ));
        if i % (good / n_bad) == 3 && bad.len() < n_bad {
            line += 1;
            bad.push(line);
            csv.push_str(match bad.len() % 5 {
                1 => "pas-une-adresse;A;B;C;D\r\n",
                2 => "agent0@ville.test;Doublon;B;C;D\r\n",
                3 => "f@ville.test;=SOMME(A1);B;C;D\r\n",
                0 => "court@ville.test;A\r\n",
                _ => "x@ville.test;A;B;C;D;inconnue\r\n",
            });
        }
    }
    (csv, bad)
}

#[tokio::test]
async fn a_dry_run_names_exactly_the_bad_lines_and_a_second_run_creates_nothing() {
    let node = DomainNode::new("import").await;
    let admin = node.create_user("admin", true).await;
    let c = communities::create(&node.state, &admin, &community("accueil"))
        .await
        .expect("community");
    let (csv, bad) = file(40, 5);

    let plan = account_import::plan(&node.state, csv.as_bytes())
        .await
        .expect("db")
        .expect("file");
    let refused: Vec<u64> = plan
        .lines
        .iter()
        .filter(|l| matches!(l.action, Action::Refused { .. }))
        .map(|l| l.line)
        .collect();
    assert_eq!(refused, bad, "exactly the bad lines, with their numbers");
    assert_eq!(plan.created(), 40);
    assert_eq!(
        node.state
            .store
            .import_accounts()
            .await
            .expect("accounts")
            .len(),
        1,
        "the dry run wrote nothing"
    );

    let out = account_import::apply(&node.state, "admin", &plan, true, &|_| {})
        .await
        .expect("import");
    assert_eq!((out.created, out.refused.len()), (40, 5));
    assert_eq!(out.invitations.len(), 40);
    let agent = accounts::by_username(&node.state, "agent7")
        .await
        .expect("agent7");
    assert_eq!(agent.display_name, "Prénom7 Nom7");
    assert_eq!(agent.job_title, "Agente d'accueil");
    let row = node
        .state
        .store
        .account_by_id(agent.id)
        .await
        .expect("db")
        .expect("row");
    assert!(
        row.password_hash.is_none(),
        "no password until the agent chooses one"
    );
    let entry = node
        .state
        .store
        .directory_entry(agent.actor_id)
        .await
        .expect("db")
        .expect("entry");
    assert_eq!(entry.service, "Accueil");
    let m = node
        .state
        .store
        .membership(c.id, agent.actor_id)
        .await
        .expect("db")
        .expect("member");
    assert_eq!(
        m.state, "accepted",
        "an invitation-only community is joined by the import"
    );
    let link = &out
        .invitations
        .iter()
        .find(|i| i.0 == "agent7")
        .expect("link")
        .2;
    let token = link.rsplit('/').next().expect("token");
    let invited = invitations::check(&node.state, token)
        .await
        .expect("live link");
    assert_eq!(invited.id, agent.id);

    let again = account_import::plan(&node.state, csv.as_bytes())
        .await
        .expect("db")
        .expect("file");
    assert_eq!(
        (again.created(), again.updated(), again.unchanged()),
        (0, 0, 40)
    );
    let out = account_import::apply(&node.state, "admin", &again, true, &|_| {})
        .await
        .expect("re-run");
    assert_eq!(out.created, 0, "a second run creates none");
    assert!(out.invitations.is_empty());
    assert_eq!(
        node.state.store.import_accounts().await.expect("db").len(),
        41
    );
}

#[tokio::test]
async fn a_changed_line_updates_and_an_address_of_another_agent_is_refused() {
    let node = DomainNode::new("import-update").await;
    let admin = node.create_user("admin", true).await;
    communities::create(&node.state, &admin, &community("accueil"))
        .await
        .expect("community");
    let first = "email,prenom,nom,metier,service\nana@ville.test,Ana,Lopez,Agente,Accueil\n";
    let plan = account_import::plan(&node.state, first.as_bytes())
        .await
        .expect("db")
        .expect("file");
    account_import::apply(&node.state, "admin", &plan, false, &|_| {})
        .await
        .expect("import");

    // Bruno wrote Ana's address as his directory contact: it is not free for a new account.
    let bruno = node.create_user("bruno", false).await;
    let mut form = entrepairs::domain::directory::form_of(&node.state, &bruno)
        .await
        .expect("form");
    form.email = "claire@ville.test".into();
    entrepairs::domain::directory::save(&node.state, &bruno, &form)
        .await
        .expect("entry");

    let second = "email,prenom,nom,metier,service,communautes\n\
                  ana@ville.test,Ana,Lopez,Agente,État civil,accueil\n\
                  claire@ville.test,Claire,Petit,Agente,Accueil\n";
    let plan = account_import::plan(&node.state, second.as_bytes())
        .await
        .expect("db")
        .expect("file");
    assert_eq!(
        plan.lines[0].action,
        Action::Update {
            username: "ana".into(),
            changes: vec!["service", "communautés"]
        }
    );
    assert!(
        matches!(&plan.lines[1].action, Action::Refused { reason } if reason.contains("bruno")),
        "{:?}",
        plan.lines[1].action
    );
    let out = account_import::apply(&node.state, "admin", &plan, false, &|_| {})
        .await
        .expect("import");
    assert_eq!((out.created, out.updated), (0, 1));
    let ana = accounts::by_username(&node.state, "ana")
        .await
        .expect("ana");
    let entry = node
        .state
        .store
        .directory_entry(ana.actor_id)
        .await
        .expect("db")
        .expect("entry");
    assert_eq!(entry.service, "État civil");
}

#[tokio::test]
async fn the_web_import_previews_then_imports_and_refuses_a_file_too_large() {
    let node = TestNode::spawn().await;
    let mut admin = node.logged_in("admin", true).await;
    let csv = "email;prénom;nom;métier;service\n\
               lea@ville.test;Léa;Martin;Assistante RH;DRH\n\
               mauvaise;A;B;C;D\n";

    let preview = admin
        .upload(
            "/admin/accounts/import",
            "/admin/accounts/import",
            "agents.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("Comptes à créer : 1 ·"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("adresse email invalide"));
    assert!(
        node.state
            .store
            .account_by_username("lea")
            .await
            .expect("db")
            .is_none(),
        "the preview writes nothing"
    );
    let token = preview
        .body
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("token")
        .to_owned();

    let done = admin
        .submit(
            "/admin/accounts/import",
            "/admin/accounts/import-confirm",
            &[("token", &token), ("invite", "on")],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Comptes créés : 1 ·"), "{}", done.body);
    assert!(
        done.body.contains("/invitation/"),
        "the link is shown to the admin"
    );
    assert!(
        node.state
            .store
            .account_by_username("lea")
            .await
            .expect("db")
            .is_some()
    );
    let twice = admin
        .submit(
            "/admin/accounts/import",
            "/admin/accounts/import-confirm",
            &[("token", &token)],
        )
        .await;
    assert_eq!(twice.status, 410, "a preview is confirmed once");

    let big = vec![b'a'; account_import::MAX_BYTES + 1024];
    let refused = admin
        .upload(
            "/admin/accounts/import",
            "/admin/accounts/import",
            "big.csv",
            &big,
        )
        .await;
    assert_eq!(refused.status, 413);
    assert!(refused.body.contains("dépasse 5 Mo"));

    let mut agent = node.logged_in("bruno", false).await;
    let page = agent.get("/admin/accounts/import").await;
    assert_ne!(page.status, 200, "agents cannot import");
}

/// The figure of issue 16, printed (never asserted): `cargo test --test it
/// import_of_two_thousand -- --nocapture`. No key pair is made during the import (each agent's
/// is made on first need), so this runs with the suite on both engines.
#[tokio::test]
async fn import_of_two_thousand_lines_with_twenty_bad_ones() {
    let node = DomainNode::new("import-bench").await;
    let admin = node.create_user("admin", true).await;
    communities::create(&node.state, &admin, &community("accueil"))
        .await
        .expect("community");
    let (csv, bad) = file(1980, 20);
    let started = std::time::Instant::now();
    let plan = account_import::plan(&node.state, csv.as_bytes())
        .await
        .expect("db")
        .expect("file");
    let planned = started.elapsed();
    let refused: Vec<u64> = plan
        .lines
        .iter()
        .filter(|l| matches!(l.action, Action::Refused { .. }))
        .map(|l| l.line)
        .collect();
    assert_eq!(refused, bad);
    let started = std::time::Instant::now();
    let out = account_import::apply(&node.state, "admin", &plan, true, &|_| {})
        .await
        .expect("import");
    let applied = started.elapsed();
    assert_eq!((out.created, out.refused.len()), (1980, 20));
    let refused_lines: Vec<u64> = out.refused.iter().map(|r| r.0).collect();
    assert_eq!(refused_lines, bad);
    let persons = node.state.store.count_local_persons().await.expect("db");
    assert_eq!(persons, 1981, "the admin and the 1,980 imported agents");
    let agent = node
        .state
        .store
        .local_actor("agent7", "Person")
        .await
        .expect("db")
        .expect("imported agent");
    assert!(
        agent.private_key_pem.is_none(),
        "the import makes no key pair: the agent's first need does"
    );
    let started = std::time::Instant::now();
    let again = account_import::plan(&node.state, csv.as_bytes())
        .await
        .expect("db")
        .expect("file");
    let out2 = account_import::apply(&node.state, "admin", &again, true, &|_| {})
        .await
        .expect("re-run");
    assert_eq!((out2.created, out2.updated), (0, 0));
    assert_eq!(
        node.state.store.count_local_persons().await.expect("db"),
        1981
    );
    println!(
        "import of 2,000 lines (20 bad), {} cores: dry run {:.2} s, import {:.1} s, \
         second run (creates none) {:.2} s",
        std::thread::available_parallelism().map_or(1, usize::from),
        planned.as_secs_f64(),
        applied.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
