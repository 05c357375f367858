using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaVault.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class UploadClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "StagingKey",
                table: "Uploads",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(512)",
                oldMaxLength: 512);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "Uploads",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FinalKey",
                table: "Uploads",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true,
                collation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "Images",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(2048)",
                oldMaxLength: 2048);

            migrationBuilder.CreateIndex(
                name: "IX_Uploads_FinalKey",
                table: "Uploads",
                column: "FinalKey");

            migrationBuilder.CreateIndex(
                name: "IX_Images_Key",
                table: "Images",
                column: "Key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Uploads_FinalKey",
                table: "Uploads");

            migrationBuilder.DropIndex(
                name: "IX_Images_Key",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "FinalKey",
                table: "Uploads");

            migrationBuilder.AlterColumn<string>(
                name: "StagingKey",
                table: "Uploads",
                type: "character varying(512)",
                maxLength: 512,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(512)",
                oldMaxLength: 512,
                oldNullable: true,
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "Images",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(2048)",
                oldMaxLength: 2048,
                oldCollation: "C");
        }
    }
}
